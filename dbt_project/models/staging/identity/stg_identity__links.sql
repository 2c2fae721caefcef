with source as (

    select * from {{ source('identity', 'identity_links') }}

),

renamed as (

    select
        source,
        source_id,
        lead_id,
        match_confidence,
        match_rule,
        reasons as match_reasons,
        phone_e164 as valid_phone_e164,
        email as valid_email,
        linked_at
    from source

)

select * from renamed
