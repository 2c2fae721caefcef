-- One source identity with its offline enrichment and when it was first and last active,
-- the rows dim_lead_enrichment picks each lead's facts from.
with identities as (

    select * from {{ ref('int_identities') }}

),

enriched as (

    select * from {{ ref('stg_hygiene__enriched_identities') }}

),

final as (

    select
        identities.source,
        identities.source_id,
        identities.first_seen_at,
        identities.last_seen_at,
        enriched.country_code,
        enriched.phone_region_name,
        enriched.time_zone,
        enriched.utc_offset,
        enriched.contact_window_utc,
        enriched.phone_line_type,
        enriched.phone_carrier,
        enriched.language,
        enriched.language_confidence,
        enriched.language_basis,
        coalesce(enriched.inbound_message_count, 0) as inbound_message_count,
        enriched.email_domain,
        enriched.email_domain_type,
        enriched.company,
        enriched.enriched_at
    from identities
    left join enriched
        on identities.source = enriched.source
        and identities.source_id = enriched.source_id

)

select * from final
