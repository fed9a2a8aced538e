# The scikit-learn peer of cl-kmeans: read the points with pandas, k-means
# with 10 k-means++ restarts, write each point's cluster; prints the inertia.
#   sklearn-kmeans.py POINTS.csv OUT.csv INERTIA.txt
import sys
import pandas as pd
from sklearn.cluster import KMeans
df = pd.read_csv(sys.argv[1])
features = [c for c in df.columns if c != 'id']
km = KMeans(n_clusters=8, n_init=10, random_state=1).fit(df[features].to_numpy())
pd.DataFrame({'id': df['id'], 'cluster': km.labels_ + 1}).to_csv(sys.argv[2], index=False)
with open(sys.argv[3], "w") as f:
    print(f"{km.inertia_:.6f}", file=f)
