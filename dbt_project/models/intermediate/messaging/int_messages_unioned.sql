-- Every message of the three channels, once: customer messages, postbacks and comments
-- (inbound), the business's echoes (outbound), and WhatsApp outbound messages known only
-- from their status events. Edits update the text of the message they edit.
with events as (

    select * from {{ ref('int_events_unioned') }}

),

authored as (

    select
        event_key,
        channel,
        event_id as message_id,
        case event_type
            when 'comment' then 'comment'
            when 'postback' then 'postback'
            else 'message'
        end as message_kind,
        event_type as source_event_type,
        direction,
        source,
        source_id,
        account_id,
        business_id,
        event_at as sent_at,
        text,
        subtype as message_type,
        reply_to,
        row_number() over (
            partition by channel, event_id
            order by
                case event_type when 'message' then 1 when 'comment' then 2 when 'echo' then 3 else 4 end,
                event_key
        ) as duplicate_rank
    from events
    where event_type in ('message', 'echo', 'comment', 'postback')

),

edits as (

    select
        channel,
        reply_to as message_id,
        text,
        event_at as edited_at,
        row_number() over (
            partition by channel, reply_to order by event_at desc, event_key desc
        ) as recency,
        count(*) over (partition by channel, reply_to) as edit_count
    from events
    where event_type = 'edit' and reply_to is not null

),

latest_edits as (

    select * from edits
    where recency = 1

),

-- WhatsApp messages sent through the Cloud API are never echoed: their statuses are all we see
status_only as (

    select
        channel,
        coalesce(reply_to, {{ dbt.split_part('event_id', "':'", 1) }}) as message_id,
        min(event_key) as event_key,
        max(source_id) as source_id,
        max(account_id) as account_id,
        max(business_id) as business_id,
        min(event_at) as sent_at
    from events
    where event_type = 'status'
    group by 1, 2

),

status_only_messages as (

    select
        status_only.event_key,
        status_only.channel,
        status_only.message_id,
        'message' as message_kind,
        'status' as source_event_type,
        'outbound' as direction,
        status_only.channel as source,
        status_only.source_id,
        status_only.account_id,
        status_only.business_id,
        status_only.sent_at,
        cast(null as {{ dbt.type_string() }}) as text,
        cast(null as {{ dbt.type_string() }}) as message_type,
        cast(null as {{ dbt.type_string() }}) as reply_to
    from status_only
    left join authored
        on status_only.channel = authored.channel
        and status_only.message_id = authored.message_id
    where authored.message_id is null

),

messages as (

    select
        event_key,
        channel,
        message_id,
        message_kind,
        source_event_type,
        direction,
        source,
        source_id,
        account_id,
        business_id,
        sent_at,
        text,
        message_type,
        reply_to
    from authored
    where duplicate_rank = 1
    union all
    select * from status_only_messages

),

final as (

    select
        messages.channel,
        messages.message_id,
        messages.message_kind,
        messages.source_event_type,
        messages.direction,
        messages.source,
        messages.source_id,
        messages.account_id,
        messages.business_id,
        messages.sent_at,
        case when latest_edits.message_id is not null then latest_edits.text else messages.text end as text,
        messages.text as original_text,
        latest_edits.message_id is not null as is_edited,
        coalesce(latest_edits.edit_count, 0) as edit_count,
        latest_edits.edited_at as last_edited_at,
        messages.message_type,
        messages.reply_to,
        messages.event_key
    from messages
    left join latest_edits
        on messages.channel = latest_edits.channel
        and messages.message_id = latest_edits.message_id

)

select * from final
