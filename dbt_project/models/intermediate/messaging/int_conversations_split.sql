-- Each message placed in its conversation: one person (source identity) on one channel; a
-- new conversation starts after {{ var('conversation_gap_hours') }} h or more of silence in
-- both directions (gaps and islands over the messages' send times).
with messages as (

    select * from {{ ref('int_messages_unioned') }}
    where source_id is not null

),

leads as (

    select * from {{ ref('int_leads_resolved') }}

),

with_previous as (

    select
        channel,
        message_id,
        source,
        source_id,
        direction,
        sent_at,
        lag(sent_at) over (
            partition by channel, source, source_id order by sent_at, message_id
        ) as previous_sent_at
    from messages

),

flagged as (

    select
        *,
        case
            when previous_sent_at is null then 1
            when sent_at >= {{ dbt.dateadd('hour', var('conversation_gap_hours'), 'previous_sent_at') }}
                then 1
            else 0
        end as starts_conversation
    from with_previous

),

numbered as (

    select
        *,
        sum(starts_conversation) over (
            partition by channel, source, source_id
            order by sent_at, message_id
            rows between unbounded preceding and current row
        ) as conversation_number
    from flagged

),

islands as (

    select
        *,
        first_value(message_id) over (
            partition by channel, source, source_id, conversation_number
            order by sent_at, message_id
            rows between unbounded preceding and unbounded following
        ) as first_message_id
    from numbered

),

final as (

    select
        islands.channel,
        islands.message_id,
        {{ key(['islands.channel', 'islands.source_id', 'islands.first_message_id']) }}
            as conversation_id,
        islands.conversation_number,
        islands.first_message_id,
        leads.lead_id,
        islands.source,
        islands.source_id,
        islands.direction,
        islands.sent_at,
        islands.starts_conversation = 1 as starts_conversation
    from islands
    inner join leads
        on islands.source = leads.source
        and islands.source_id = leads.source_id

)

select * from final
