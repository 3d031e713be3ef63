# labelcheck on Debian 12 with the same packages scripts/deps installs.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY scripts/deps scripts/deps
RUN scripts/deps
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN scripts/models && go build -o /out/labelcheck ./cmd/labelcheck

FROM golang:1.26-bookworm
COPY scripts/deps /usr/local/lib/labelcheck/deps
RUN /usr/local/lib/labelcheck/deps && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/labelcheck /usr/local/bin/labelcheck
COPY --from=build /src/models/onnx /usr/local/share/labelcheck/models
ENV LABELCHECK_MODELS=/usr/local/share/labelcheck/models
# Several single-threaded Tesseract engines beat one OpenMP engine.
ENV OMP_THREAD_LIMIT=1
ENTRYPOINT ["labelcheck"]
