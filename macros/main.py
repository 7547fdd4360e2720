"""mkdocs-macros entry point: a thin adapter over the metodiky package."""

from metodiky.site_macros import register_macros


def define_env(env):
    """Give the chapters the tool macros, using the knowledge base the metodiky plugin loaded."""
    register_macros(env, env.conf["plugins"]["metodiky"])
