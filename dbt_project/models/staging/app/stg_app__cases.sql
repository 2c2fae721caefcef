-- One customer request as the engine tracks it, with its conversation's channel and person.
with cases as (

    select * from {{ source('app', 'cases') }}

),

conversations as (

    select * from {{ source('app', 'conversations') }}

),

handoffs as (

    select
        conversation_id,
        count(*) as handoff_count,
        count(resolved_at) as resolved_handoff_count,
        max(resolved_at) as last_handoff_resolved_at
    from {{ source('app', 'handoffs') }}
    group by 1

),

renamed as (

    select
        cases.case_id,
        cases.conversation_id as engine_conversation_id,
        conversations.channel,
        conversations.person_id as source_id,
        cases.lead_id as engine_lead_id,
        cases.topic,
        cases.status,
        cases.opened_at,
        cases.closed_at,
        cases.close_reason,
        cases.reopened_count,
        conversations.bot_paused,
        coalesce(handoffs.handoff_count, 0) as handoff_count,
        coalesce(handoffs.resolved_handoff_count, 0) as resolved_handoff_count,
        handoffs.last_handoff_resolved_at
    from cases
    inner join conversations
        on cases.conversation_id = conversations.conversation_id
    left join handoffs
        on cases.conversation_id = handoffs.conversation_id

)

select * from renamed
