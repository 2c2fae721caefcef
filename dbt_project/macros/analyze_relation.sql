{#- Fresh planner statistics right after a table is built (Postgres only; a no-op elsewhere). -#}
{% macro analyze_relation(relation=this) -%}
    {%- if target.type in ('postgres', 'redshift') -%}
        analyze {{ relation }}
    {%- endif -%}
{%- endmacro %}
