import sys

from hcpcs_graph.server.cli import main

sys.exit(main())
