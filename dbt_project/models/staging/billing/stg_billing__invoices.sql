-- One invoice in its latest imported version (latest loaded_at, then latest landing id).
-- email_key and phone_key are the keys int_identities matches people on: the lowercased,
-- trimmed e-mail and the phone's digits (from the E.164 form the import computed).
with source as (

    select * from {{ source('raw', 'invoices') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by invoice_number order by loaded_at desc, id desc
        ) as version_rank,
        count(*) over (partition by invoice_number) as version_count,
        min(loaded_at) over (partition by invoice_number) as first_loaded_at
    from source

),

latest as (

    select * from versioned
    where version_rank = 1

),

renamed as (

    select
        invoice_number,
        nullif(trim(customer_email), '') as email,
        nullif(lower(trim(customer_email)), '') as email_key,
        customer_phone as phone_raw,
        phone_e164,
        case
            when {{ dbt.length("regexp_replace(phone_e164, '[^0-9]', '', 'g')") }} >= 7
                then regexp_replace(phone_e164, '[^0-9]', '', 'g')
        end as phone_key,
        amount,
        currency,
        issued_on,
        due_on,
        paid_at,
        id as invoice_key,
        record_sha256,
        file_name,
        line_number,
        version_count,
        first_loaded_at,
        loaded_at as last_loaded_at
    from latest

)

select * from renamed
