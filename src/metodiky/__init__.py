"""Czech knowledge base of social-work methodologies: model, loaders, renderers and CLI."""
