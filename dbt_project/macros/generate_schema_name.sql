{#- Exact schema names (staging, intermediate, marts): a custom schema is used verbatim,
    without the usual `<target_schema>_` prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
