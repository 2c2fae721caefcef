-- One case: a customer request from the message that opened it to its closure (thanks,
-- goodbye, confirmation or silence after our answer), with reopenings and handoffs.
with cases as (

    select * from {{ ref('stg_app__cases') }}

),

leads as (

    select * from {{ ref('int_leads_resolved') }}

),

final as (

    select
        cases.case_id,
        coalesce(leads.lead_id, cases.engine_lead_id) as lead_id,
        cases.channel,
        cases.topic,
        cases.status,
        cases.opened_at,
        cases.closed_at,
        cases.close_reason,
        {{ dbt.datediff('cases.opened_at', 'cases.closed_at', 'second') }}
            as resolution_seconds,
        cases.reopened_count,
        cases.handoff_count,
        cases.handoff_count > 0 as was_escalated,
        cases.resolved_handoff_count,
        cases.last_handoff_resolved_at,
        cases.bot_paused as with_human_now
    from cases
    left join leads
        on cases.channel = leads.source
        and cases.source_id = leads.source_id

)

select * from final
