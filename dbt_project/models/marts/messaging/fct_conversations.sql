-- status: `with_human` when the conversation engine has handed the thread to a person and
-- its case is open; `closed` when the engine closed the thread's case after the last
-- message; else `open` when the last message is less than {{ var('conversation_gap_hours') }} h
-- before the newest channel event in the data (not the wall clock: rebuilding the same data
-- gives the same marts), else `closed`.
with conversation_messages as (

    select * from {{ ref('int_conversations_split') }}

),

events as (

    select * from {{ ref('int_events_unioned') }}

),

as_of as (

    select max(event_at) as as_of_at from events

),

-- the conversation engine's view of each thread: resolved cases, a human in charge
engine_threads as (

    select
        channel,
        source_id,
        max(case when status = 'closed' then closed_at end) as last_closed_at,
        max(case when status = 'open' then 1 else 0 end) = 1 as has_open_case,
        max(case when bot_paused then 1 else 0 end) = 1 as with_human
    from {{ ref('stg_app__cases') }}
    group by 1, 2

),

aggregated as (

    select
        conversation_id,
        lead_id,
        channel,
        source_id,
        min(sent_at) as started_at,
        max(sent_at) as last_message_at,
        max(case when direction = 'inbound' then sent_at end) as last_inbound_at,
        max(case when direction = 'outbound' then sent_at end) as last_outbound_at,
        count(*) as message_count,
        sum(case when direction = 'inbound' then 1 else 0 end) as inbound_count,
        sum(case when direction = 'outbound' then 1 else 0 end) as outbound_count
    from conversation_messages
    group by 1, 2, 3, 4

),

final as (

    select
        aggregated.conversation_id,
        aggregated.lead_id,
        aggregated.channel,
        aggregated.started_at,
        aggregated.last_message_at,
        case
            when engine_threads.with_human and engine_threads.has_open_case then 'with_human'
            when engine_threads.last_closed_at >= aggregated.last_message_at
                and not engine_threads.has_open_case then 'closed'
            when aggregated.last_message_at
                > {{ dbt.dateadd('hour', -1 * var('conversation_gap_hours'), 'as_of.as_of_at') }}
                then 'open'
            else 'closed'
        end as status,
        aggregated.message_count,
        aggregated.inbound_count,
        aggregated.outbound_count,
        aggregated.last_inbound_at,
        aggregated.last_outbound_at,
        {{ dbt.datediff('aggregated.started_at', 'aggregated.last_message_at', 'second') }}
            as duration_seconds,
        aggregated.source_id,
        as_of.as_of_at
    from aggregated
    cross join as_of
    left join engine_threads
        on aggregated.channel = engine_threads.channel
        and aggregated.source_id = engine_threads.source_id

)

select * from final
