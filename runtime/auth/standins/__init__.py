"""Local stand-ins for the national identity services (latvija.lv, eParaksts): they
speak the real protocols with keys made at start-up, for tests and for development,
where they sign anyone in without a real identity (and every page says so). They exist
only with `signin_standins`, which the configuration allows only in development."""
