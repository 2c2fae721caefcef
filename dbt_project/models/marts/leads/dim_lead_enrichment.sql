-- One lead's offline enrichment, picked from its identities: the phone facts of its most
-- trusted number (WhatsApp verifies it), the language of the identity that wrote most,
-- the company of its latest corporate e-mail, and its first and last touch channels.
with leads as (

    select * from {{ ref('int_leads_resolved') }}

),

identities as (

    select * from {{ ref('int_identities_enriched') }}

),

lead_identities as (

    select
        leads.lead_id,
        identities.*
    from leads
    inner join identities
        on leads.source = identities.source
        and leads.source_id = identities.source_id

),

phone_facts as (

    select *
    from (
        select
            lead_id,
            country_code,
            phone_region_name,
            time_zone,
            utc_offset,
            contact_window_utc,
            phone_line_type,
            phone_carrier,
            row_number() over (
                partition by lead_id
                order by
                    case when phone_line_type is not null then 0 else 1 end,
                    case when source = 'whatsapp' then 0 else 1 end,
                    last_seen_at desc, source, source_id
            ) as rank_in_lead
        from lead_identities
        where country_code is not null or time_zone is not null
    ) as ranked
    where rank_in_lead = 1

),

languages as (

    select *
    from (
        select
            lead_id,
            language,
            language_confidence,
            language_basis,
            row_number() over (
                partition by lead_id
                order by
                    case when language_basis = 'messages' then 0 else 1 end,
                    inbound_message_count desc, last_seen_at desc, source, source_id
            ) as rank_in_lead
        from lead_identities
        where language is not null
    ) as ranked
    where rank_in_lead = 1

),

companies as (

    select *
    from (
        select
            lead_id,
            company,
            email_domain,
            email_domain_type,
            row_number() over (
                partition by lead_id
                order by
                    case when email_domain_type = 'corporate' then 0 else 1 end,
                    case when company is not null then 0 else 1 end,
                    last_seen_at desc, source, source_id
            ) as rank_in_lead
        from lead_identities
        where email_domain is not null or company is not null
    ) as ranked
    where rank_in_lead = 1

),

touches as (

    select
        lead_id,
        source,
        first_seen_at,
        last_seen_at,
        row_number() over (
            partition by lead_id order by first_seen_at, source, source_id
        ) as first_rank,
        row_number() over (
            partition by lead_id order by last_seen_at desc, source, source_id
        ) as last_rank
    from lead_identities
    -- an import is not a touch: the person did not reach us through it
    where source != 'import'

),

activity as (

    select
        lead_id,
        sum(inbound_message_count) as inbound_message_count,
        max(enriched_at) as enriched_at
    from lead_identities
    group by 1

),

final as (

    select
        activity.lead_id,
        phone_facts.country_code,
        phone_facts.phone_region_name,
        phone_facts.time_zone,
        phone_facts.utc_offset,
        phone_facts.contact_window_utc,
        phone_facts.phone_line_type,
        phone_facts.phone_carrier,
        languages.language,
        languages.language_confidence,
        languages.language_basis,
        companies.company,
        companies.email_domain,
        companies.email_domain_type,
        first_touches.source as first_touch_channel,
        first_touches.first_seen_at as first_touch_at,
        last_touches.source as last_touch_channel,
        last_touches.last_seen_at as last_touch_at,
        activity.inbound_message_count,
        activity.enriched_at
    from activity
    left join phone_facts on activity.lead_id = phone_facts.lead_id
    left join languages on activity.lead_id = languages.lead_id
    left join companies on activity.lead_id = companies.lead_id
    left join touches as first_touches
        on activity.lead_id = first_touches.lead_id and first_touches.first_rank = 1
    left join touches as last_touches
        on activity.lead_id = last_touches.lead_id and last_touches.last_rank = 1

)

select * from final
