with messages as (

    select * from {{ ref('int_messages_unioned') }}

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
            when messages.direction = 'outbound' then coalesce(statuses.delivery_status, 'sent')
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
        -- filled by the ML issue (language detection, intent and sentiment models)
        cast(null as {{ dbt.type_string() }}) as language,
        cast(null as {{ dbt.type_string() }}) as intent,
        cast(null as {{ dbt.type_float() }}) as sentiment_score
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

)

select * from final
