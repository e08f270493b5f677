"""Open311 GeoReport v2: service requests from civic apps become complaints of the channel
``open311``, and every complaint event is what such a client reads back."""
