with source as (

    select * from {{ source('hygiene', 'enriched_identities') }}

),

renamed as (

    select
        source,
        source_id,
        country_code,
        phone_region_name,
        time_zone,
        utc_offset,
        contact_window_utc,
        phone_line_type,
        phone_carrier,
        language,
        language_confidence,
        language_basis,
        inbound_message_count,
        email_domain,
        email_domain_type,
        company,
        enriched_at
    from source

)

select * from renamed
