with source as (

    select * from {{ source('raw', 'channel_events') }}
    where channel = 'whatsapp'

),

renamed as (

    select
        id as event_key,
        delivery_id,
        channel,
        event_type,
        event_id,
        subtype,
        case when event_type in ('message', 'echo') then subtype end as message_type,
        case when event_type = 'status' then subtype end as status,
        account_id as waba_id,
        business_id as phone_number_id,
        direction,
        nullif(coalesce(person_id, payload -> '_contact' ->> 'wa_id'), '') as wa_id,
        nullif(coalesce(person_user_id, payload -> '_contact' ->> 'user_id'), '') as wa_user_id,
        nullif(
            coalesce(person_name, payload -> '_contact' -> 'profile' ->> 'name'), ''
        ) as profile_name,
        occurred_at,
        text,
        reply_to,
        payload -> 'errors' -> 0 ->> 'code' as error_code,
        coalesce(
            payload -> 'errors' -> 0 ->> 'title', payload -> 'errors' -> 0 ->> 'message'
        ) as error_title,
        payload -> 'pricing' ->> 'category' as pricing_category,
        payload,
        received_at
    from source

)

select * from renamed
