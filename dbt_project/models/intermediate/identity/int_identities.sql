-- One row per source identity: a channel identity (WhatsApp wa_id or user id, Instagram
-- IGSID, Messenger PSID), an imported contact (external_id) or a Shopify buyer that matches
-- none of those by e-mail / phone key (customer id, else e-mail), with what it tells us.
with events as (

    select * from {{ ref('int_events_unioned') }}
    where source_id is not null

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

buyers as (

    select * from {{ ref('int_buyers_grouped') }}

),

channel_activity as (

    select
        source,
        source_id,
        max(wa_id) as wa_id,
        max(wa_user_id) as wa_user_id,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at,
        count(*) as event_count
    from events
    group by 1, 2

),

latest_names as (

    select
        source,
        source_id,
        person_name,
        row_number() over (
            partition by source, source_id order by event_at desc, event_key desc
        ) as recency
    from events
    where person_name is not null

),

latest_usernames as (

    select
        source,
        source_id,
        username,
        row_number() over (
            partition by source, source_id order by event_at desc, event_key desc
        ) as recency
    from events
    where username is not null

),

channel_identities as (

    select
        channel_activity.source,
        channel_activity.source_id,
        coalesce(latest_names.person_name, latest_usernames.username) as display_name,
        latest_usernames.username,
        channel_activity.wa_id,
        channel_activity.wa_user_id,
        channel_activity.wa_id as phone_raw,
        -- a wa_id is the phone number in digits, country code first
        case
            when channel_activity.wa_id ~ '^[1-9][0-9]{6,14}$'
                then {{ dbt.concat(["'+'", "channel_activity.wa_id"]) }}
        end as phone_e164,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as country_raw,
        -- match keys for commerce buyers: lowercased trimmed e-mail, phone digits
        cast(null as {{ dbt.type_string() }}) as email_key,
        case
            when channel_activity.wa_id ~ '^[0-9]{7,}$' then channel_activity.wa_id
        end as phone_key,
        channel_activity.first_seen_at,
        channel_activity.last_seen_at,
        channel_activity.event_count
    from channel_activity
    left join latest_names
        on channel_activity.source = latest_names.source
        and channel_activity.source_id = latest_names.source_id
        and latest_names.recency = 1
    left join latest_usernames
        on channel_activity.source = latest_usernames.source
        and channel_activity.source_id = latest_usernames.source_id
        and latest_usernames.recency = 1

),

import_identities as (

    select
        'import' as source,
        external_id as source_id,
        coalesce(
            full_name,
            case
                when first_name is not null and last_name is not null
                    then {{ dbt.concat(["first_name", "' '", "last_name"]) }}
                else coalesce(first_name, last_name)
            end
        ) as display_name,
        cast(null as {{ dbt.type_string() }}) as username,
        cast(null as {{ dbt.type_string() }}) as wa_id,
        cast(null as {{ dbt.type_string() }}) as wa_user_id,
        phone as phone_raw,
        -- only a phone already written in E.164 (spaces, dots, dashes, brackets aside);
        -- real phone hygiene is a later step
        case
            when regexp_replace(phone, '[[:space:]().-]', '', 'g') ~ '^\+[1-9][0-9]{6,14}$'
                then regexp_replace(phone, '[[:space:]().-]', '', 'g')
        end as phone_e164,
        email,
        country as country_raw,
        nullif(lower(trim(email)), '') as email_key,
        case
            when {{ dbt.length("regexp_replace(phone, '[^0-9]', '', 'g')") }} >= 7
                then regexp_replace(phone, '[^0-9]', '', 'g')
        end as phone_key,
        first_imported_at as first_seen_at,
        last_imported_at as last_seen_at,
        version_count as event_count
    from contacts
    where external_id is not null

),

known_identities as (

    select * from channel_identities
    union all
    select * from import_identities

),

-- a buyer becomes an identity of its own only when no known identity shares its e-mail or
-- phone key (int_buyers_matched links the others to the identity they match)
shopify_identities as (

    select
        'shopify' as source,
        buyers.customer_key as source_id,
        buyers.display_name,
        cast(null as {{ dbt.type_string() }}) as username,
        cast(null as {{ dbt.type_string() }}) as wa_id,
        cast(null as {{ dbt.type_string() }}) as wa_user_id,
        buyers.phone as phone_raw,
        case
            when regexp_replace(buyers.phone, '[[:space:]().-]', '', 'g') ~ '^\+[1-9][0-9]{6,14}$'
                then regexp_replace(buyers.phone, '[[:space:]().-]', '', 'g')
        end as phone_e164,
        buyers.email,
        cast(null as {{ dbt.type_string() }}) as country_raw,
        buyers.email_key,
        buyers.phone_key,
        buyers.first_seen_at,
        buyers.last_seen_at,
        buyers.record_count as event_count
    from buyers
    where not exists (
        select 1 from known_identities
        where known_identities.email_key = buyers.email_key
    )
    and not exists (
        select 1 from known_identities
        where known_identities.phone_key = buyers.phone_key
    )

),

final as (

    select * from known_identities
    union all
    select * from shopify_identities

)

select * from final
