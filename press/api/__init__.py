"""The typed press API (endpoints), its schemas, and API v2 viewsets for the host's router."""
