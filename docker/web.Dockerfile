# NovaCron control plane (Blazor Server UI, REST API, SignalR hubs).
# Build from the repository root: docker build -f docker/web.Dockerfile -t novacron-web .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig NovaCron.sln ./
COPY src/ src/
RUN dotnet publish src/Web/Web.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    NovaCron__DataDirectory=/var/lib/novacron
# The data directory holds the generated first-admin password, the data-protection keys that sign cookies, and boot
# images; it must belong to the unprivileged user the server runs as.
RUN mkdir -p /var/lib/novacron/images && chown -R app:app /var/lib/novacron && chmod 0700 /var/lib/novacron
VOLUME /var/lib/novacron
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "NovaCron.Web.dll"]
