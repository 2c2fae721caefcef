-- Runs once, when the PostgreSQL volume is first created: Dagster keeps its run, event and
-- schedule storage in a database of its own beside the warehouse.
create database dagster owner crm;
