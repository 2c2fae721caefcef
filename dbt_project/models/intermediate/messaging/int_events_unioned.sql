-- Every channel event of the three channels in one shape, keyed to the person it concerns
-- (`source`, `source_id`: the customer's channel identity).
with whatsapp as (

    select * from {{ ref('stg_whatsapp__events') }}

),

instagram as (

    select * from {{ ref('stg_instagram__events') }}

),

messenger as (

    select * from {{ ref('stg_messenger__events') }}

),

-- a business-scoped user id seen together with a wa_id resolves to that wa_id
whatsapp_user_ids as (

    select
        wa_user_id,
        wa_id
    from (
        select
            wa_user_id,
            wa_id,
            row_number() over (
                partition by wa_user_id order by occurred_at desc, event_key desc
            ) as recency
        from whatsapp
        where wa_user_id is not null and wa_id is not null
    ) as pairs
    where recency = 1

),

whatsapp_events as (

    select
        whatsapp.event_key,
        whatsapp.channel,
        whatsapp.event_type,
        whatsapp.event_id,
        whatsapp.subtype,
        whatsapp.direction,
        coalesce(whatsapp.wa_id, whatsapp_user_ids.wa_id, whatsapp.wa_user_id) as source_id,
        coalesce(whatsapp.wa_id, whatsapp_user_ids.wa_id) as wa_id,
        whatsapp.wa_user_id,
        whatsapp.profile_name as person_name,
        cast(null as {{ dbt.type_string() }}) as username,
        whatsapp.waba_id as account_id,
        whatsapp.phone_number_id as business_id,
        whatsapp.occurred_at,
        whatsapp.text,
        whatsapp.reply_to,
        whatsapp.error_code,
        whatsapp.error_title,
        cast(null as {{ dbt.type_string() }}) as read_mid,
        cast(null as {{ dbt.type_timestamp() }}) as read_watermark_at,
        whatsapp.received_at
    from whatsapp
    left join whatsapp_user_ids
        on whatsapp.wa_id is null and whatsapp.wa_user_id = whatsapp_user_ids.wa_user_id

),

instagram_events as (

    select
        event_key,
        channel,
        event_type,
        event_id,
        subtype,
        direction,
        igsid as source_id,
        cast(null as {{ dbt.type_string() }}) as wa_id,
        cast(null as {{ dbt.type_string() }}) as wa_user_id,
        person_name,
        username,
        ig_account_id as account_id,
        business_id,
        occurred_at,
        text,
        reply_to,
        cast(null as {{ dbt.type_string() }}) as error_code,
        cast(null as {{ dbt.type_string() }}) as error_title,
        read_mid,
        cast(null as {{ dbt.type_timestamp() }}) as read_watermark_at,
        received_at
    from instagram

),

messenger_events as (

    select
        event_key,
        channel,
        event_type,
        event_id,
        subtype,
        direction,
        psid as source_id,
        cast(null as {{ dbt.type_string() }}) as wa_id,
        cast(null as {{ dbt.type_string() }}) as wa_user_id,
        person_name,
        cast(null as {{ dbt.type_string() }}) as username,
        page_id as account_id,
        business_id,
        occurred_at,
        text,
        reply_to,
        cast(null as {{ dbt.type_string() }}) as error_code,
        cast(null as {{ dbt.type_string() }}) as error_title,
        cast(null as {{ dbt.type_string() }}) as read_mid,
        read_watermark_at,
        received_at
    from messenger

),

unioned as (

    select * from whatsapp_events
    union all
    select * from instagram_events
    union all
    select * from messenger_events

),

final as (

    select
        event_key,
        channel,
        event_type,
        event_id,
        subtype,
        direction,
        channel as source,
        source_id,
        wa_id,
        wa_user_id,
        person_name,
        username,
        account_id,
        business_id,
        occurred_at,
        coalesce(occurred_at, received_at) as event_at,
        text,
        reply_to,
        error_code,
        error_title,
        read_mid,
        read_watermark_at,
        received_at
    from unioned

)

select * from final
