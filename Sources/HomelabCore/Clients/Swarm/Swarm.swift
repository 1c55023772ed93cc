/// Docker Swarm's models, as the Engine API names them: `Swarm.Service`, `Swarm.Node`, `Swarm.Task`,
/// `Swarm.ServiceSpec`, ... Every component's models live in a namespace of their own (`Proxmox.Node`,
/// `TrueNAS.Pool`), so the same word can mean each component's own thing. ``SwarmClient`` speaks them.
public enum Swarm {}
