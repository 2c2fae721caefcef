"""Social content (flows 14-16): posts generated from products and campaigns, published
through the Graph API content-publishing flow, scheduled at the hour people write most."""
