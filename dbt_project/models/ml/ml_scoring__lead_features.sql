-- One row per lead: the same features as ml_training__lead_conversion, as of the data's
-- newest event, for the scoring asset. Every resolved lead gets a row (an imported contact
-- who never wrote has all-zero engagement), so every lead in dim_leads can be scored.
with as_of as (

    {{ ml_as_of() }}

),

cutoffs as (

    select leads.lead_id, as_of.as_of_at as cutoff_at
    from (select distinct lead_id from {{ ref('int_leads_resolved') }}) as leads
    cross join as_of

),

{{ lead_features_ctes('cutoffs') }}

select * from lead_features
