-- One row per source identity: a channel identity (WhatsApp wa_id or user id, Instagram
-- IGSID, Messenger PSID) or an imported contact (external_id), with what it tells us.
with events as (

    select * from {{ ref('int_events_unioned') }}
    where source_id is not null

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

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
        first_imported_at as first_seen_at,
        last_imported_at as last_seen_at,
        version_count as event_count
    from contacts
    where external_id is not null

),

final as (

    select * from channel_identities
    union all
    select * from import_identities

)

select * from final
