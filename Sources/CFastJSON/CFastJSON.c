// Header-only: see include/CFastJSON.h.
