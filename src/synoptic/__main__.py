from synoptic.cli import main

raise SystemExit(main())
