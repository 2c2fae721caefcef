-- THE model that assigns lead_id to every source identity; everything downstream takes
-- lead_id from here. For now one lead per identity (rule `same_source_id`); identity
-- resolution replaces this model with one that merges identities into shared leads.
with identities as (

    select * from {{ ref('int_identities') }}

),

resolved as (

    select
        source,
        source_id,
        {{ key(['source', 'source_id']) }} as lead_id,
        cast(1.0 as {{ dbt.type_numeric() }}) as match_confidence,
        'same_source_id' as match_rule
    from identities

)

select * from resolved
