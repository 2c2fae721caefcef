-- One resolved person: a golden record over *all* identities identity resolution put in
-- the lead, attribute by attribute (survivorship rules on each CTE below).
with leads as (

    select * from {{ ref('int_leads_resolved') }}

),

identities as (

    select * from {{ ref('int_identities') }}

),

conversation_messages as (

    select * from {{ ref('int_conversations_split') }}

),

calling_codes as (

    select * from {{ ref('calling_codes') }}

),

lead_identities as (

    select
        leads.lead_id,
        leads.valid_phone_e164,
        leads.valid_email,
        identities.*,
        -- how complete a name is: its words, up to four (a longer one is rarely a name)
        least(
            {{ dbt.length('identities.display_name') }}
            - {{ dbt.length(dbt.replace('identities.display_name', "' '", "''")) }} + 1,
            4
        ) as name_words,
        -- trust: imported contacts carry the names and e-mails people gave, then channels
        case identities.source
            when 'import' then 1 when 'whatsapp' then 2 when 'messenger' then 3 else 4
        end as source_priority,
        -- a wa_id is a phone number the channel has verified
        case identities.source when 'whatsapp' then 1 else 2 end as phone_priority
    from leads
    inner join identities
        on leads.source = identities.source
        and leads.source_id = identities.source_id

),

-- survivorship: the most complete name, then the most trusted source, then the latest
names as (

    select lead_id, display_name
    from (
        select
            lead_id,
            display_name,
            row_number() over (
                partition by lead_id
                order by name_words desc, source_priority, last_seen_at desc, source_id
            ) as rank_in_lead
        from lead_identities
        where display_name is not null
    ) as ranked
    where rank_in_lead = 1

),

-- survivorship: the most recently seen valid phone (hygiene's E.164), else any phone
phones as (

    select lead_id, phone_e164
    from (
        select
            lead_id,
            coalesce(valid_phone_e164, phone_e164) as phone_e164,
            row_number() over (
                partition by lead_id
                order by
                    case when valid_phone_e164 is null then 1 else 0 end,
                    last_seen_at desc,
                    phone_priority,
                    source_id
            ) as rank_in_lead
        from lead_identities
        where coalesce(valid_phone_e164, phone_e164) is not null
    ) as ranked
    where rank_in_lead = 1

),

-- survivorship: a valid e-mail from the most trusted source, then the latest
emails as (

    select lead_id, email
    from (
        select
            lead_id,
            coalesce(valid_email, email) as email,
            row_number() over (
                partition by lead_id
                order by
                    case when valid_email is null then 1 else 0 end,
                    source_priority,
                    last_seen_at desc,
                    source_id
            ) as rank_in_lead
        from lead_identities
        where coalesce(valid_email, email) is not null
    ) as ranked
    where rank_in_lead = 1

),

imported_countries as (

    select lead_id, max(upper(country_raw)) as country_code
    from lead_identities
    where {{ dbt.length('country_raw') }} = 2
    group by 1

),

first_channels as (

    select lead_id, source as first_channel
    from (
        select
            lead_id,
            source,
            row_number() over (partition by lead_id order by first_seen_at, source) as rank_in_lead
        from lead_identities
        where source != 'import'
    ) as ranked
    where rank_in_lead = 1

),

lead_channels as (

    select distinct lead_id, source as channel
    from lead_identities
    where source != 'import'

),

channel_lists as (

    select
        lead_id,
        {{ dbt.listagg('channel', "','", 'order by channel') }} as channels
    from lead_channels
    group by 1

),

activity as (

    select
        lead_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as identity_count
    from lead_identities
    group by 1

),

message_counts as (

    select
        lead_id,
        count(*) as message_count,
        sum(case when direction = 'inbound' then 1 else 0 end) as inbound_message_count,
        count(distinct conversation_id) as conversation_count,
        max(sent_at) as last_message_at
    from conversation_messages
    group by 1

),

phone_countries as (

    select lead_id, country_code
    from (
        select
            phones.lead_id,
            calling_codes.country_code,
            row_number() over (
                partition by phones.lead_id
                order by {{ dbt.length('calling_codes.calling_code') }} desc
            ) as rank_in_lead
        from phones
        inner join calling_codes
            on substring(phones.phone_e164, 2, {{ dbt.length('calling_codes.calling_code') }})
                = calling_codes.calling_code
    ) as ranked
    where rank_in_lead = 1

),

final as (

    select
        activity.lead_id,
        names.display_name,
        phones.phone_e164,
        emails.email,
        coalesce(phone_countries.country_code, imported_countries.country_code) as country_code,
        activity.first_seen_at,
        activity.last_seen_at,
        coalesce(message_counts.message_count, 0) as message_count,
        -- ML (issue 4): the newest score from ml.lead_scores; null until a lead is scored
        lead_scores.lead_score,
        lead_scores.lead_tier,
        lead_scores.close_probability,
        coalesce(message_counts.inbound_message_count, 0) as inbound_message_count,
        coalesce(message_counts.conversation_count, 0) as conversation_count,
        message_counts.last_message_at,
        first_channels.first_channel,
        channel_lists.channels,
        activity.identity_count
    from activity
    left join names on activity.lead_id = names.lead_id
    left join phones on activity.lead_id = phones.lead_id
    left join emails on activity.lead_id = emails.lead_id
    left join phone_countries on activity.lead_id = phone_countries.lead_id
    left join imported_countries on activity.lead_id = imported_countries.lead_id
    left join message_counts on activity.lead_id = message_counts.lead_id
    left join first_channels on activity.lead_id = first_channels.lead_id
    left join channel_lists on activity.lead_id = channel_lists.lead_id
    -- ML (issue 4): scores written by the scoring asset
    left join {{ ref('int_lead_scores_latest') }} as lead_scores
        on activity.lead_id = lead_scores.lead_id

)

select * from final
