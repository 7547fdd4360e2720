"""mkdocs-macros entry point: a thin adapter over the metodiky package.

Pages are expanded by the metodiky plugin's restricted macro language (metodiky.macros) before
this plugin sees them, and it is told to leave them alone; nothing is registered here, so that no
page can reach Jinja's general template engine.
"""


def define_env(env):
    """Register nothing: content pages never reach the general template engine."""
