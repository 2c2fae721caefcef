with source as (

    select * from {{ source('hygiene', 'clean_identities') }}

),

renamed as (

    select
        source,
        source_id,
        display_name,
        name_match,
        first_name,
        last_name,
        phone_raw,
        phone_e164,
        phone_key,
        phone_valid,
        phone_line_type,
        phone_region,
        email_raw,
        email,
        email_key,
        email_valid,
        email_domain,
        email_domain_type,
        company,
        street,
        street_key,
        city,
        city_key,
        postcode,
        state,
        country_code,
        date_of_birth,
        fixes,
        issues,
        jsonb_array_length(fixes) as fix_count,
        jsonb_array_length(issues) as issue_count,
        cleaned_at
    from source

)

select * from renamed
