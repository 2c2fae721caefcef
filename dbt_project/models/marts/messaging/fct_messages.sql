with channel_messages as (

    select * from {{ ref('int_messages_unioned') }}

),

outbox as (

    select * from {{ ref('stg_app__outbox') }}

),

understood as (

    select * from {{ ref('stg_app__processed_events') }}

),

-- the engine's outbound messages, shaped like int_messages_unioned; a message Meta
-- reported only through statuses is replaced by its outbox row, which has the text
outbox_messages as (

    select
        outbox.channel,
        outbox.message_id,
        'message' as message_kind,
        'outbox' as source_event_type,
        'outbound' as direction,
        outbox.channel as source,
        outbox.recipient_id as source_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        outbox.sender_id as business_id,
        coalesce(outbox.sent_at, outbox.created_at) as sent_at,
        outbox.text,
        outbox.text as original_text,
        false as is_edited,
        0 as edit_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_edited_at,
        outbox.kind as message_type,
        outbox.in_reply_to as reply_to,
        cast(null as {{ dbt.type_bigint() }}) as event_key,
        outbox.status as outbox_status
    from outbox
    left join channel_messages
        on outbox.channel = channel_messages.channel
        and outbox.message_id = channel_messages.message_id
    where channel_messages.message_id is null
        or channel_messages.source_event_type = 'status'

),

messages as (

    select
        channel_messages.*,
        cast(null as {{ dbt.type_string() }}) as outbox_status
    from channel_messages
    left join outbox_messages
        on channel_messages.channel = outbox_messages.channel
        and channel_messages.message_id = outbox_messages.message_id
    where outbox_messages.message_id is null
    union all
    select * from outbox_messages

),

leads as (

    select * from {{ ref('int_leads_resolved') }}

),

conversations as (

    select * from {{ ref('int_conversations_split') }}

),

statuses as (

    select * from {{ ref('int_message_statuses_latest') }}

),

final as (

    select
        messages.message_id,
        messages.channel,
        leads.lead_id,
        conversations.conversation_id,
        messages.direction,
        messages.sent_at,
        messages.text,
        messages.message_kind,
        messages.message_type,
        messages.source_event_type,
        case
            when messages.direction = 'outbound'
                then coalesce(statuses.delivery_status, messages.outbox_status, 'sent')
        end as delivery_status,
        statuses.status_at as delivery_status_at,
        statuses.delivered_at,
        statuses.read_at,
        statuses.error_code as delivery_error_code,
        statuses.error_title as delivery_error_title,
        messages.is_edited,
        messages.edit_count,
        messages.last_edited_at,
        messages.original_text,
        messages.reply_to,
        messages.source_id,
        messages.account_id,
        messages.business_id,
        -- as the conversation engine understood the message (null for outbound, and for
        -- messages it did not process)
        understood.language,
        understood.intent,
        understood.sentiment_score
    from messages
    left join leads
        on messages.source = leads.source
        and messages.source_id = leads.source_id
    left join conversations
        on messages.channel = conversations.channel
        and messages.message_id = conversations.message_id
    left join statuses
        on messages.channel = statuses.channel
        and messages.message_id = statuses.message_id
    left join understood
        on messages.channel = understood.channel
        and messages.message_id = understood.message_id

)

select * from final
