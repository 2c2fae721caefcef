with source as (

    select * from {{ source('raw', 'channel_events') }}
    where channel = 'instagram'

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
        account_id as ig_account_id,
        business_id,
        direction,
        nullif(person_id, '') as igsid,
        nullif(person_username, '') as username,
        nullif(person_name, '') as person_name,
        occurred_at,
        text,
        reply_to,
        payload -> 'message' -> 'attachments' -> 0 ->> 'type' as attachment_type,
        payload -> 'read' ->> 'mid' as read_mid,
        payload,
        received_at
    from source

)

select * from renamed
