"""All factories, one module per app, re-exported here: ``from tests import factories``.

Free-text fields carry hostile text by default (see ``core.HOSTILE``).
"""

from tests.factories.core import *  # noqa: F403
from tests.factories.neighborhoods import *  # noqa: F403
from tests.factories.ngos import *  # noqa: F403
from tests.factories.notifications import *  # noqa: F403
from tests.factories.projects import *  # noqa: F403
