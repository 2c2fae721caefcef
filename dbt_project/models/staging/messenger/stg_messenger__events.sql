with source as (

    select * from {{ source('raw', 'channel_events') }}
    where channel = 'messenger'

),

renamed as (

    select
        id as event_key,
        delivery_id,
        channel,
        event_type,
        event_id,
        subtype,
        case when event_type = 'comment' then subtype end as comment_field,
        case when event_type = 'receipt' then subtype end as receipt_kind,
        account_id as page_id,
        business_id,
        direction,
        nullif(person_id, '') as psid,
        nullif(person_name, '') as person_name,
        occurred_at,
        text,
        reply_to,
        payload -> 'message' -> 'attachments' -> 0 ->> 'type' as attachment_type,
        -- receipts carry watermarks in epoch milliseconds
        to_timestamp(
            cast(payload -> 'read' ->> 'watermark' as bigint) / 1000.0
        ) as read_watermark_at,
        payload,
        received_at
    from source

)

select * from renamed
