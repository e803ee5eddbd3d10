#!/usr/bin/env python3
"""Turns template.yaml into plain CloudFormation with aws-sam-translator, as `sam deploy` has AWS do.

One output per environment of samconfig.toml (with that environment's parameter_overrides, and its
template_file, template.yaml unless its build or global parameters name another such as probe-region.yaml)
and per extra case given with --case NAME="Key=Value Key=Value" (on top of the template's defaults; a case
of another template is named NAME@FILE):
    python3 deploy/sam-translate.py --out target/sam [--case agent="BedrockAgentMode=create"]
writes OUT/NAME.json (the CloudFormation template), OUT/parameters/NAME.json (the parameter values the
case sets) and OUT/template-of/NAME.txt (the case's template file). Exits non-zero, naming the case and SAM's
reasons, if any case does not translate.
"""
import argparse
import json
import os
import pathlib
import shlex
import sys
import tomllib

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

root = pathlib.Path(__file__).resolve().parent.parent
PSEUDO = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}


class NoManagedPolicies:
    """The template names no AWS managed policies by name, so SAM needs no lookup of their ARNs."""

    def load(self):
        return {}


def cases(config, extra):
    """Name to (template file, parameter_overrides)."""
    out = {}
    for env, sections in config.items():
        if not isinstance(sections, dict):
            continue
        deploy = sections.get("deploy", {})
        if "parameters" in deploy:
            # `sam build` reads template_file; `sam deploy` then deploys what it built.
            template = "template.yaml"
            for command in ("global", "build", "deploy"):
                template = sections.get(command, {}).get("parameters", {}).get("template_file", template)
            out[env] = (template, deploy["parameters"].get("parameter_overrides", ""))
    for case in extra:
        name, _, overrides = case.partition("=")
        name, _, template = name.partition("@")
        out[name] = (template or "template.yaml", overrides)
    return out


def load(path):
    template = yaml_parse(path.read_text())
    # What `sam build`/`sam package` do first: local code folders become S3 locations.
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://cloudops-agent-artifacts/code.zip"
        if resource.get("Type") == "AWS::Serverless::StateMachine" and "DefinitionUri" in resource["Properties"]:
            local = resource["Properties"]["DefinitionUri"]
            if not (root / local).is_file():
                sys.exit(f"DefinitionUri {local} is not a file of the repository")
            resource["Properties"]["DefinitionUri"] = "s3://cloudops-agent-artifacts/" + local
    return template


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", help="translate every case with this template instead of its own")
    parser.add_argument("--config", default=str(root / "samconfig.toml"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--case", action="append", default=[], metavar='NAME="Key=Value ..."')
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    (out / "parameters").mkdir(parents=True, exist_ok=True)
    (out / "template-of").mkdir(parents=True, exist_ok=True)
    with open(args.config, "rb") as f:
        config = tomllib.load(f)
    templates = {}
    failed = []
    for name, (file, overrides) in cases(config, args.case).items():
        path = pathlib.Path(args.template) if args.template else root / file
        if not path.is_file():
            failed.append(f"{name}: template {file} is not a file of the repository")
            continue
        if path not in templates:
            templates[path] = load(path)
        template = templates[path]
        parameters = dict(p.split("=", 1) for p in shlex.split(overrides))
        try:
            translated = transform(json.loads(json.dumps(template)), {**parameters, **PSEUDO}, NoManagedPolicies())
        except InvalidDocumentException as e:
            failed.append(f"{name}: " + "; ".join(str(cause) for cause in e.causes))
            continue
        except Exception as e:  # the translator's other errors name the problem in their message
            failed.append(f"{name}: {e}")
            continue
        (out / f"{name}.json").write_text(json.dumps(translated, indent=1, default=str))
        (out / "parameters" / f"{name}.json").write_text(json.dumps(parameters, indent=1))
        (out / "template-of" / f"{name}.txt").write_text(path.name)
        print(f"{name} ({path.name}): {len(translated['Resources'])} resources")
    if failed:
        print("SAM could not translate:\n  " + "\n  ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
