{#- Order of delivery statuses for latest-status-wins: a status only replaces a lower one.
    failed is terminal (ranked above read) so a failure is never hidden by a late status. -#}
{% macro status_rank(status) -%}
    case {{ status }}
        when 'sent' then 1
        when 'delivered' then 2
        when 'read' then 3
        when 'failed' then 4
    end
{%- endmacro %}
