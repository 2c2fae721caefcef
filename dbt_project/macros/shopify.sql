{#- The shared shape of Shopify webhook staging: one row per landed event of the given topics,
    keyed by the resource id (or a body field when the landing had none), timed by when it
    happened (the webhook's own timestamp, else a body field, else its arrival). -#}
{% macro shopify_events(topics, key, key_field, time_field) %}
    select
        id as event_key,
        topic,
        coalesce(resource_id, body ->> '{{ key_field }}') as {{ key }},
        coalesce(
            occurred_at,
            cast(body ->> '{{ time_field }}' as timestamp with time zone),
            received_at
        ) as event_at,
        shop_domain,
        body
    from {{ source('raw', 'commerce_events') }}
    where source = 'shopify'
        and topic in ({% for topic in topics %}'{{ topic }}'{{ ", " if not loop.last }}{% endfor %})
{% endmacro %}

{#- The customer columns checkouts and orders both carry: the top-level e-mail / phone
    first (what the buyer typed at checkout), the customer record's otherwise. -#}
{% macro shopify_customer_columns() %}
        nullif(body -> 'customer' ->> 'id', '') as shopify_customer_id,
        nullif(
            lower(trim(coalesce(
                nullif(trim(body ->> 'email'), ''), body -> 'customer' ->> 'email'
            ))),
            ''
        ) as email,
        coalesce(
            nullif(body ->> 'phone', ''), nullif(body -> 'customer' ->> 'phone', '')
        ) as phone,
        nullif(trim(body -> 'customer' ->> 'first_name'), '') as first_name,
        nullif(trim(body -> 'customer' ->> 'last_name'), '') as last_name,
{%- endmacro %}
