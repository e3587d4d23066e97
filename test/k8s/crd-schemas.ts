/**
 * JSON Schemas of the custom resources the cluster target emits, which kubernetes-models does not know.
 * Transcribed from the upstream CRDs' openAPIV3Schema, with `additionalProperties: false` added everywhere:
 * the API server silently prunes unknown fields of a CRD, so a misspelt field would vanish without an error.
 *
 * - Egress: flomesh-io/osm-edge cmd/osm-bootstrap/crds/policy_egress.yaml (policy.openservicemesh.io/v1alpha1);
 *   the protocol enum is osm-edge's documented set (the CRD leaves it a free string).
 * - CiliumEgressGatewayPolicy: cilium/cilium pkg/k8s/apis/cilium.io/client/crds/v2/ciliumegressgatewaypolicies.yaml.
 */

const CILIUM_CIDR = "^(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\/([0-9]|[1-2][0-9]|3[0-2])$";

const objectMeta = {
  type: "object",
  additionalProperties: false,
  required: ["name", "labels"],
  properties: {
    name: { type: "string" },
    namespace: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
  },
};

const labelSelector = {
  type: "object",
  additionalProperties: false,
  properties: {
    matchLabels: {
      type: "object",
      additionalProperties: { type: "string", maxLength: 63, pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" },
    },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["key", "operator"],
        properties: {
          key: { type: "string" },
          operator: { enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
          values: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
};

export const osmEgressSchema = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "policy.openservicemesh.io/v1alpha1" },
    kind: { const: "Egress" },
    metadata: { ...objectMeta, required: ["name", "namespace", "labels"] },
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["sources", "ports"],
      properties: {
        sources: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["kind", "name", "namespace"],
            properties: { kind: { enum: ["ServiceAccount"] }, name: { type: "string" }, namespace: { type: "string" } },
          },
        },
        hosts: { type: "array", items: { type: "string" } },
        ipAddresses: { type: "array", items: { type: "string", pattern: "((?:\\d{1,3}\\.){3}\\d{1,3})\\/(\\d{1,2})$" } },
        ports: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["number", "protocol"],
            properties: {
              number: { type: "integer", minimum: 1, maximum: 65535 },
              protocol: { enum: ["http", "https", "tcp", "tcp-server-first"] },
            },
          },
        },
      },
    },
  },
} as const;

export const ciliumEgressGatewayPolicySchema = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "cilium.io/v2" },
    kind: { const: "CiliumEgressGatewayPolicy" },
    metadata: { ...objectMeta, not: { required: ["namespace"] } },
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["destinationCIDRs", "egressGateway", "selectors"],
      properties: {
        destinationCIDRs: { type: "array", items: { type: "string", pattern: CILIUM_CIDR } },
        excludedCIDRs: { type: "array", items: { type: "string", pattern: CILIUM_CIDR } },
        egressGateway: {
          type: "object",
          additionalProperties: false,
          required: ["nodeSelector"],
          properties: { egressIP: { type: "string" }, interface: { type: "string" }, nodeSelector: labelSelector },
        },
        selectors: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            properties: { namespaceSelector: labelSelector, podSelector: labelSelector },
          },
        },
      },
    },
  },
} as const;
