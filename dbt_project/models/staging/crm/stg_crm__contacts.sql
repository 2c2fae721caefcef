{%- set fields = [
    'first_name', 'last_name', 'full_name', 'email', 'phone', 'company',
    'street', 'city', 'postcode', 'state', 'country', 'date_of_birth'
] -%}

with source as (

    select * from {{ source('raw', 'contacts') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by external_id order by imported_at desc, id desc
        ) as version_rank,
        count(*) over (partition by external_id) as version_count,
        min(imported_at) over (partition by external_id) as first_imported_at
    from source

),

latest as (

    select * from versioned
    where version_rank = 1

),

renamed as (

    select
        nullif(trim(external_id), '') as external_id,
        {%- for field in fields %}
        nullif(trim(record ->> '{{ field }}'), '') as {{ field }},
        {%- endfor %}
        record - array['external_id', '{{ fields | join("', '") }}'] as attributes,
        id as contact_key,
        record_sha256,
        file_name,
        line_number,
        version_count,
        first_imported_at,
        imported_at as last_imported_at
    from latest

)

select * from renamed
