# NovaCron node agent. It drives QEMU on the host, so it runs privileged with /dev/kvm and the data directory
# shared with the host; on bare hosts prefer the systemd unit (docker/novacron-agent.service).
# Build from the repository root: docker build -f docker/agent.Dockerfile -t novacron-agent .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig NovaCron.sln ./
COPY src/ src/
RUN dotnet publish src/NodeAgent/NodeAgent.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0-bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends qemu-system-x86 qemu-utils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV Agent__DataDirectory=/var/lib/novacron
VOLUME /var/lib/novacron
ENTRYPOINT ["dotnet", "NovaCron.NodeAgent.dll"]
