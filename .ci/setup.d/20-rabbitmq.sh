# The cluster worker tests start a private RabbitMQ node (quorum queues need 3.8 or newer; Debian 12 ships 3.10).
need_apt rabbitmq-server rabbitmq-server
# The package may start a system node; the tests use their own on free ports and never touch it.
