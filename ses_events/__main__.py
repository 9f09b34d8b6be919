import sys

from ses_events.cli import main

sys.exit(main())
