ringmq_layer(pattern
  SOURCES
    pattern/registry.cpp pattern/pair.cpp
    pattern/clientserver/client.cpp pattern/clientserver/server.cpp
    pattern/pipeline/push.cpp pattern/pipeline/pull.cpp
    pattern/scattergather/gather.cpp pattern/scattergather/scatter.cpp
    pattern/pubsub/subscriptions.cpp pattern/pubsub/xpub.cpp pattern/pubsub/xsub.cpp
    pattern/reqrep/dealer.cpp pattern/reqrep/rep.cpp pattern/reqrep/req.cpp pattern/reqrep/router.cpp
    pattern/stream/stream.cpp
    pattern/strategy/distributor.cpp pattern/strategy/fair_queue.cpp pattern/strategy/load_balancer.cpp
  DEPS ringmq_core)
