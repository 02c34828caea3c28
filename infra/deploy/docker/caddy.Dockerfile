# Caddy with the layer4 module, which routes TURN over TLS by name on port 443.
# Not built on the project's machines (no Docker there).
FROM caddy:2-builder AS build
RUN xcaddy build --with github.com/mholt/caddy-l4

FROM caddy:2
COPY --from=build /usr/bin/caddy /usr/bin/caddy
