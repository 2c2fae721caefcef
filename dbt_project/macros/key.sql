{#- A deterministic text key: md5 of the given expressions joined by ':'.
    key(["'whatsapp'", "wa_id"]) -> md5('whatsapp' || ':' || wa_id). -#}
{% macro key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")") -%}
        {%- if not loop.last -%}{%- do parts.append("':'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
