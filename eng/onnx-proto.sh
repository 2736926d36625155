#!/usr/bin/env bash
# Regenerates src/NnGen.Onnx/Onnx.g.cs from src/NnGen.Onnx/onnx.proto with protoc from the Google.Protobuf.Tools package
# (the version of the Google.Protobuf runtime that NnGen.Onnx references). The schema is ONNX's own onnx.proto, as
# Debian's python3-onnx 1.12 ships it (/usr/lib/python3/dist-packages/onnx/onnx.proto: IR version 8, opsets up to 17).
# The generated types are internal: ONNX's schema is not part of NnGen's public API.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=3.36.2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/tools.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Google.Protobuf.Tools" Version="$version" /></ItemGroup>
</Project>
XML
dotnet restore "$tmp/tools.csproj" --packages "$tmp/packages" >/dev/null
tools="$tmp/packages/google.protobuf.tools/$version/tools"
protoc="$tools/linux_x64/protoc"
chmod +x "$protoc"
"$protoc" --proto_path="$root/src/NnGen.Onnx" --proto_path="$tools" --csharp_out="$tmp" --csharp_opt=internal_access,file_extension=.g.cs onnx.proto
mv "$tmp/Onnx.g.cs" "$root/src/NnGen.Onnx/Onnx.g.cs"
echo "wrote src/NnGen.Onnx/Onnx.g.cs ($(wc -l <"$root/src/NnGen.Onnx/Onnx.g.cs") lines) with protoc $("$protoc" --version)"
