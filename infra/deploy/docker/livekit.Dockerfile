# livekit-server v1.13.5 built from its Go module, as the toolchain bootstrap builds it
# (docs/decisions/0002). Not built on the project's machines (no Docker there).
FROM golang:1.26-bookworm AS build
RUN GOBIN=/out go install github.com/livekit/livekit-server/cmd/server@v1.13.5

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/server /usr/local/bin/livekit-server
USER 1000:1000
ENTRYPOINT ["livekit-server"]
