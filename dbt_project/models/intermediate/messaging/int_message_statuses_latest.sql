-- The delivery status of each outbound message, latest-status-wins by rank rather than by
-- arrival: sent < delivered < read, and failed is terminal. A late `sent` never overwrites
-- `read`. Sources: WhatsApp status events, Messenger delivery receipts (their mids), and
-- read receipts (Messenger watermark; Instagram's read mid), which mark every outbound
-- message to that person sent up to that point as read.
with events as (

    select * from {{ ref('int_events_unioned') }}

),

delivery_receipt_mids as (

    select * from {{ ref('stg_messenger__delivery_receipt_mids') }}

),

messages as (

    select * from {{ ref('int_messages_unioned') }}

),

whatsapp_statuses as (

    select
        channel,
        coalesce(reply_to, {{ dbt.split_part('event_id', "':'", 1) }}) as message_id,
        subtype as status,
        event_at as status_at,
        error_code,
        error_title,
        event_key
    from events
    where event_type = 'status'
        and subtype in ('sent', 'delivered', 'read', 'failed')

),

delivery_receipts as (

    select
        'messenger' as channel,
        message_id,
        'delivered' as status,
        coalesce(delivered_at, received_at) as status_at,
        cast(null as {{ dbt.type_string() }}) as error_code,
        cast(null as {{ dbt.type_string() }}) as error_title,
        event_key
    from delivery_receipt_mids

),

read_receipts as (

    select
        events.channel,
        events.source_id,
        coalesce(events.read_watermark_at, read_message.sent_at) as read_up_to,
        events.event_at,
        events.event_key
    from events
    left join messages as read_message
        on events.channel = read_message.channel
        and events.read_mid = read_message.message_id
    where events.event_type = 'receipt'
        and events.subtype = 'read'

),

read_statuses as (

    select
        messages.channel,
        messages.message_id,
        'read' as status,
        read_receipts.event_at as status_at,
        cast(null as {{ dbt.type_string() }}) as error_code,
        cast(null as {{ dbt.type_string() }}) as error_title,
        read_receipts.event_key
    from messages
    inner join read_receipts
        on messages.channel = read_receipts.channel
        and messages.source_id = read_receipts.source_id
        and messages.sent_at <= read_receipts.read_up_to
    where messages.direction = 'outbound'
        and messages.channel != 'whatsapp'

),

statuses as (

    select * from whatsapp_statuses
    union all
    select * from delivery_receipts
    union all
    select * from read_statuses

),

ranked as (

    select
        *,
        row_number() over (
            partition by channel, message_id
            order by {{ status_rank('status') }} desc, status_at desc, event_key desc
        ) as precedence
    from statuses

),

timeline as (

    select
        channel,
        message_id,
        min(case when status = 'sent' then status_at end) as sent_status_at,
        min(case when status = 'delivered' then status_at end) as delivered_at,
        min(case when status = 'read' then status_at end) as read_at,
        min(case when status = 'failed' then status_at end) as failed_at,
        count(*) as status_event_count
    from statuses
    group by 1, 2

),

final as (

    select
        ranked.channel,
        ranked.message_id,
        ranked.status as delivery_status,
        ranked.status_at,
        ranked.error_code,
        ranked.error_title,
        timeline.sent_status_at,
        timeline.delivered_at,
        timeline.read_at,
        timeline.failed_at,
        timeline.status_event_count
    from ranked
    inner join timeline
        on ranked.channel = timeline.channel
        and ranked.message_id = timeline.message_id
    where ranked.precedence = 1

)

select * from final
