import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { allowAll } from "./allow-all.js";

const NETWORKS = `networks:
  onprem: 10.10.0.0/16
  internet: 0.0.0.0/0`;

testRule(allowAll, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "narrow peers, labelled pods, a labelled gateway node",
      site: yaml`
        site: test
${NETWORKS}
        cluster:
          isolation: { namespaces: [shop], allowFrom: [onprem] }
          egress:
            - { namespace: shop, pods: { app: web }, allow: [{ to: onprem, ports: [tcp/443] }] }
          cilium:
            egressGateways:
              - { name: gw, to: [0.0.0.0/0], nodeSelector: { egress: "true" }, interface: eth1 }
      `,
    },
    {
      name: "every widest scope, each marked deliberate with a reason",
      site: yaml`
        site: test
${NETWORKS}
        cluster:
          isolation: { namespaces: [shop], allowFrom: [0.0.0.0/0], allowAll: public storefront behind the cloud load balancer }
          egress:
            - namespace: shop
              allowAll: every shop pod calls the payment provider
              allow: [{ to: internet, ports: [tcp/443], allowAll: the payment provider has no fixed addresses }]
          cilium:
            egressGateways:
              - { name: gw, to: [onprem], nodeSelector: {}, interface: eth1, allowAll: every node runs the VPN client }
      `,
    },
    {
      name: "IPv6: narrow IPv6 peers and destinations; ::/0 marked deliberate",
      site: yaml`
        site: test
        networks:
          office6: 2001:db8:70::/64
        cluster:
          isolation: { namespaces: [shop], allowFrom: [office6] }
          egress:
            - { namespace: shop, pods: { app: web }, allow: [{ to: "2001:db8:71::/48", ports: [tcp/443] }, { to: "::/0", allowAll: IPv6 payment provider without fixed addresses }] }
      `,
    },
  ],
  invalid: [
    {
      name: "0.0.0.0/0 as an isolation peer and an egress destination (literal and by name), every pod, every node",
      site: yaml`
        site: test
${NETWORKS}
        cluster:
          isolation: { namespaces: [shop, blog], allowFrom: [onprem, 0.0.0.0/0] }
          egress:
            - namespace: shop
              allow:
                - { to: internet, except: [onprem], ports: [tcp/443, udp/53] }
                - { to: onprem }
            - namespace: blog
              pods: { app: blog }
              allow: [{ to: 0.0.0.0/0 }]
          cilium:
            egressGateways:
              - { name: gw, to: [onprem], nodeSelector: {}, interface: eth1 }
      `,
      errors: [
        { at: "6:62", token: "0.0.0.0/0", messageId: "ingressFromAll", data: { namespaces: "shop, blog", prefix: "0.0.0.0/0", family: "IPv4" }, hint: 'narrow it, or state why it is deliberate: allowAll: "<reason>" on the isolation section' },
        { at: "8:18", token: "shop", messageId: "everyPod", data: { namespace: "shop" }, hint: 'narrow it, or state why it is deliberate: allowAll: "<reason>" on the egress entry' },
        { at: "10:17", token: "internet", messageId: "egressToAll", data: { who: "shop (all pods)", prefix: "internet (0.0.0.0/0)", family: "IPv4", except: " except onprem (10.10.0.0/16)", ports: "tcp/443 udp/53", but: " but the exceptions" }, hint: 'narrow it, or state why it is deliberate: allowAll: "<reason>" on this allow entry' },
        { at: "14:21", token: "0.0.0.0/0", messageId: "egressToAll", data: { who: "blog (app=blog)", prefix: "0.0.0.0/0", family: "IPv4", except: "", ports: "on all ports", but: "" } },
        { at: "17:49", token: "{}", messageId: "everyNode", data: { name: "gw" }, hint: 'narrow it, or state why it is deliberate: allowAll: "<reason>" on the gateway' },
      ],
    },
    {
      name: "under --strict the same scope is an error",
      strict: true,
      site: yaml`
        site: test
        cluster:
          egress:
            - { namespace: shop, pods: {}, allow: [{ to: 10.0.0.0/8 }] }
      `,
      errors: [{ at: "4:32", token: "{}", messageId: "everyPod", data: { namespace: "shop" } }],
    },
    {
      name: "IPv6 and mixed: ::/0 as an isolation peer beside 0.0.0.0/0, and as an egress destination with an IPv6 exception",
      site: yaml`
        site: test
        cluster:
          isolation: { namespaces: [shop], allowFrom: [0.0.0.0/0, "::/0"] }
          egress:
            - { namespace: shop, pods: { app: web }, allow: [{ to: "::/0", except: ["fd00::/8"] }] }
      `,
      errors: [
        { at: "3:48", token: "0.0.0.0/0", messageId: "ingressFromAll", data: { namespaces: "shop", prefix: "0.0.0.0/0", family: "IPv4" } },
        { at: "3:59", token: '"::/0"', messageId: "ingressFromAll", data: { namespaces: "shop", prefix: "::/0", family: "IPv6" } },
        {
          at: "5:60",
          token: '"::/0"',
          messageId: "egressToAll",
          data: { who: "shop (app=web)", prefix: "::/0", family: "IPv6", except: " except fd00::/8", ports: "on all ports", but: " but the exceptions" },
        },
      ],
    },
  ],
});
