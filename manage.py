#!/usr/bin/env python
from greenlane.cli import main

if __name__ == "__main__":
    main()
