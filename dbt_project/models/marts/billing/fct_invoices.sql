-- status as of the build date (or the var invoices_as_of_date): paid (paid_at set),
-- overdue (unpaid past its due date), else due. days_overdue: unpaid, the days past due
-- (0 before); paid, how many days late it was paid.
{%- set as_of_date = var('invoices_as_of_date', none) %}

with invoices as (

    select * from {{ ref('stg_billing__invoices') }}

),

matched as (

    select * from {{ ref('int_invoices_matched') }}

),

as_of as (

    {%- if as_of_date %}
    select cast('{{ as_of_date }}' as date) as as_of_date
    {%- else %}
    select cast({{ dbt.current_timestamp() }} as date) as as_of_date
    {%- endif %}

),

final as (

    select
        invoices.invoice_number,
        matched.lead_id,
        matched.match_rule,
        invoices.amount,
        invoices.currency,
        invoices.issued_on as issued_at,
        invoices.due_on as due_at,
        invoices.paid_at,
        case
            when invoices.paid_at is not null then 'paid'
            when invoices.due_on < as_of.as_of_date then 'overdue'
            else 'due'
        end as status,
        greatest(
            0,
            case
                when invoices.paid_at is not null
                    then {{ dbt.datediff('invoices.due_on', 'cast(invoices.paid_at as date)', 'day') }}
                else {{ dbt.datediff('invoices.due_on', 'as_of.as_of_date', 'day') }}
            end
        ) as days_overdue,
        invoices.email,
        invoices.phone_e164,
        invoices.version_count,
        invoices.last_loaded_at,
        as_of.as_of_date
    from invoices
    cross join as_of
    left join matched on invoices.invoice_number = matched.invoice_number

)

select * from final
